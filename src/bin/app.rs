fn main() {
    yew::Renderer::<parallel_playground::ui::App>::new().render();
}
