//! One job sent to a real Web Worker and back: proof that the worker pipeline works.

use yew::prelude::*;

use crate::model::job::{self, group_digits};
use crate::runtime::round_trip::{self, RoundTrip};
use crate::runtime::Session;

#[derive(Clone, PartialEq)]
enum Status {
    Idle,
    Running(u32),
    Done(RoundTrip),
    Failed(String),
}

#[component]
pub fn RoundTripView() -> Html {
    let input = use_state(|| group_digits(job::DEFAULT_PRIME_LIMIT.into()));
    let status = use_state(|| Status::Idle);
    let parsed = job::parse_prime_limit(&input);
    let running = matches!(*status, Status::Running(_));
    // The job's session: a job left before it ends (another slide, the
    // overview) is stopped, and its worker with it.
    let session = use_mut_ref(|| None::<Session>);
    {
        let session = session.clone();
        use_effect_with((), move |_| {
            move || {
                if let Some(session) = session.borrow_mut().take() {
                    session.stop();
                }
            }
        });
    }

    let on_input = {
        let input = input.clone();
        Callback::from(move |e: InputEvent| {
            let field: web_sys::HtmlInputElement = e.target_unchecked_into();
            input.set(field.value());
        })
    };
    let on_submit = {
        let status = status.clone();
        let parsed = parsed.clone();
        let session = session.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let Ok(below) = parsed.clone() else { return };
            if matches!(*status, Status::Running(_)) {
                return;
            }
            status.set(Status::Running(below));
            let status = status.clone();
            let job = round_trip::session();
            *session.borrow_mut() = Some(job.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match round_trip::round_trip(&job, below).await {
                    Ok(result) => status.set(Status::Done(result)),
                    Err(message) => status.set(Status::Failed(message)),
                }
            });
        })
    };

    let error = parsed.as_ref().err().cloned();
    html! {
        <section class="card worker-demo" data-testid="worker-demo">
            <h3>{ "A job in a Web Worker" }</h3>
            <form onsubmit={on_submit} novalidate=true>
                <label for="prime-limit">{ "Count the primes below" }</label>
                <div class="field-row">
                    <input id="prime-limit" data-testid="prime-limit" type="text" inputmode="numeric"
                           value={(*input).clone()} oninput={on_input} spellcheck="false"
                           aria-invalid={error.is_some().to_string()} aria-describedby="prime-limit-error" />
                    <button type="submit" data-testid="run-worker" disabled={running || error.is_some()}>
                        { if running { "Running…" } else { "Run in a worker" } }
                    </button>
                </div>
                <p id="prime-limit-error" class="field-error" data-testid="prime-limit-error" role="alert">
                    { error.unwrap_or_default() }
                </p>
            </form>
            { status_view(&status) }
        </section>
    }
}

fn status_view(status: &Status) -> Html {
    match status {
        Status::Idle => html! {
            <p class="hint">{ "The job runs trial division, like the is_prime of the concurrent.futures documentation, in a separate worker while this page stays responsive." }</p>
        },
        Status::Running(job) => {
            html! { <p class="running" data-testid="worker-running">{ format!("A worker is busy: {job}…") }</p> }
        }
        Status::Failed(message) => html! {
            <p class="error" data-testid="worker-error" role="alert">{ format!("The worker run failed: {message}") }</p>
        },
        Status::Done(run) => {
            let below = run.below;
            html! {
                <div class="result" data-testid="worker-result">
                    <p class="answer">
                        <strong data-testid="worker-value">{ group_digits(run.value.unsigned_abs()) }</strong>
                        { format!(" primes below {}", group_digits(below.into())) }
                    </p>
                    <dl>
                        <dt>{ "Computed in" }</dt>
                        <dd data-testid="worker-scope">{ run.scope.clone() }</dd>
                        <dt>{ "Worker's own time" }</dt>
                        <dd data-testid="worker-ms">{ format!("{:.1} ms", run.worker_ms) }</dd>
                        <dt>{ "Round trip" }</dt>
                        <dd data-testid="worker-round-trip">{ format!("{:.1} ms", run.round_trip_ms) }</dd>
                        <dt>{ "Worker start-up" }</dt>
                        <dd data-testid="worker-startup">{ format!("{:.1} ms", run.startup_ms) }</dd>
                        <dt>{ "Page timer meanwhile" }</dt>
                        <dd data-testid="page-ticks">{ format!("ticked {} times: the main thread was free", run.page_ticks) }</dd>
                    </dl>
                </div>
            }
        }
    }
}
