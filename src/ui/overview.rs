//! The overview (O or Esc): every slide in a grid, the chosen one focused.

use std::rc::Rc;

use yew::prelude::*;

use super::dialog::{close_on_backdrop, focus, use_dialog_focus};
use super::state::{Action, Step};
use crate::deck::{Block, Deck, Inline, Slide};

#[derive(Properties, PartialEq)]
pub struct OverviewProps {
    pub deck: Rc<Deck>,
    /// The slide shown behind the overview (0-based).
    pub current: usize,
    /// The slide Enter would open.
    pub selected: usize,
    pub on_action: Callback<Action>,
}

#[component]
pub fn Overview(props: &OverviewProps) -> Html {
    let chosen = use_dialog_focus();
    let backdrop = use_node_ref();
    {
        // The focus follows the selection, so the browser keeps it in view.
        let chosen = chosen.clone();
        use_effect_with(props.selected, move |_| focus(&chosen));
    }
    let card = |(index, slide): (usize, &Slide)| {
        let on_action = props.on_action.clone();
        let selected = index == props.selected;
        html! {
            <li>
                <button class={classes!("overview-slide", selected.then_some("selected"))}
                        ref={if selected { chosen.clone() } else { NodeRef::default() }}
                        aria-current={(index == props.current).then_some("true")}
                        data-testid="overview-slide" data-slide={(index + 1).to_string()}
                        onfocus={on_action.reform(move |_: FocusEvent| Action::Select(Step::To(index)))}
                        onclick={on_action.reform(move |_: MouseEvent| Action::JumpTo(index))}>
                    <span class="overview-number">{ index + 1 }</span>
                    <span class="overview-title">{ breakable(&slide.title) }</span>
                    <span class="overview-excerpt">{ excerpt(slide) }</span>
                </button>
            </li>
        }
    };
    html! {
        <div class="overlay" ref={backdrop.clone()} onclick={close_on_backdrop(&backdrop, &props.on_action)}>
            <div class="overlay-panel overview" role="dialog" aria-modal="true" aria-labelledby="overview-title"
                 data-testid="overview">
                <h2 id="overview-title" class="overlay-title">{ "All slides" }</h2>
                <p class="overlay-hint">{ "Arrows choose a slide, Enter or a click opens it, O or Esc goes back." }</p>
                <ol class="overview-grid">
                    { for props.deck.slides.iter().enumerate().map(card) }
                </ol>
            </div>
        </div>
    }
}

/// The slide's first words below its title, short.
fn excerpt(slide: &Slide) -> String {
    const MOST: usize = 90;
    let text = slide.content.iter().find_map(first_text).unwrap_or_default();
    if text.chars().count() <= MOST {
        return text;
    }
    let short: String = text.chars().take(MOST - 1).collect();
    format!("{}…", short.trim_end())
}

fn first_text(block: &Block) -> Option<String> {
    let text = match block {
        Block::Paragraph { content, .. } | Block::Plain { content } => Inline::plain_text(content),
        Block::List { items, .. } => items.iter().flat_map(|i| &i.blocks).find_map(first_text)?,
        Block::Quote { blocks, .. } => blocks.iter().find_map(first_text)?,
        Block::Code { code, .. } => code.lines().find(|l| !l.trim().is_empty())?.to_owned(),
        Block::Heading { .. } | Block::Rule | Block::RawHtml { .. } => return None,
    };
    Some(text.trim().to_owned()).filter(|t| !t.is_empty())
}

/// A title that may break after a slash ("Futures/ Promises") on a narrow
/// screen, rather than inside a word.
fn breakable(title: &str) -> Html {
    let mut parts = title.split_inclusive('/').peekable();
    let mut out = Vec::new();
    while let Some(part) = parts.next() {
        out.push(html! { { part.to_owned() } });
        if parts.peek().is_some() {
            out.push(html! { <wbr /> });
        }
    }
    out.into_iter().collect()
}
