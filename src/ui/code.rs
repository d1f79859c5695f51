//! A code block, highlighted line by line when it is Python.

use yew::prelude::*;

use crate::deck::highlight::{self, Token};

#[derive(Properties, PartialEq)]
pub struct CodeBlockProps {
    pub code: AttrValue,
    #[prop_or_default]
    pub lang: Option<String>,
    #[prop_or_default]
    pub classes: Option<String>,
    /// Lines lanes are executing now: (1-based line, lane's colour index, lane's name).
    #[prop_or_default]
    pub active: Vec<(u32, usize, String)>,
    /// What the box is called to a screen reader: "Python code" unless told.
    #[prop_or_default]
    pub label: Option<AttrValue>,
}

fn is_python(lang: Option<&str>) -> bool {
    matches!(lang, Some("py" | "python" | "python3" | "py3"))
}

#[component]
pub fn CodeBlock(props: &CodeBlockProps) -> Html {
    let python = is_python(props.lang.as_deref());
    let lines: std::rc::Rc<Vec<Vec<Token>>> = {
        let code = props.code.clone();
        use_memo((code, python), |(code, python)| {
            if *python {
                highlight::python(code)
            } else {
                code.split('\n')
                    .map(|l| vec![Token { kind: highlight::TokenKind::Plain, text: l.to_owned() }])
                    .collect()
            }
        })
    };
    let lang_class = props.lang.as_ref().map(|l| format!("language-{l}"));
    let label = props.label.clone().unwrap_or(AttrValue::Static(if python { "Python code" } else { "Code" }));
    // Focusable, so a keyboard scrolls it where it is longer or wider than its box.
    html! {
        <pre class={classes!("code", props.classes.clone())} data-testid="code" tabindex="0" role="group" aria-label={label}>
            <code class={lang_class}>
                { for lines.iter().enumerate().map(|(n, line)| {
                    let number = n as u32 + 1;
                    let here: Vec<&(u32, usize, String)> = props.active.iter().filter(|a| a.0 == number).collect();
                    let class = here.first().map(|a| format!("active lane-{}", a.1 % 8));
                    let title = (!here.is_empty()).then(|| here.iter().map(|a| a.2.as_str()).collect::<Vec<_>>().join(", "));
                    html! {
                        <span class={classes!("line", class)} data-line={number.to_string()} title={title}
                              data-active={(!here.is_empty()).then_some("true")}>
                            { for line.iter().map(|t| html! { <span class={t.kind.class()}>{ t.text.clone() }</span> }) }
                            { "\n" }
                        </span>
                    }
                }) }
            </code>
        </pre>
    }
}
