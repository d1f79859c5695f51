use yew::prelude::*;

#[component]
fn App() -> Html {
    let count = use_state(|| 0u32);
    let add = {
        let count = count.clone();
        Callback::from(move |_| count.set(*count + 1))
    };
    html! {
        <main>
            <h1 data-testid="hello">{ "Hello from Yew" }</h1>
            <button onclick={add}>{ format!("clicked {} times", *count) }</button>
        </main>
    }
}

fn main() {
    yew::Renderer::<App>::new().render();
}
