//! The pane beside the slide: what this browser offers, and a real worker run.

use yew::prelude::*;

use super::worker_round_trip::WorkerRoundTripView;
use crate::runtime::capabilities::{self, Capabilities};

#[component]
pub fn DemoPane() -> Html {
    let caps = use_memo((), |_| capabilities::detect());
    html! {
        <aside class="demo-pane" data-testid="demo-pane" aria-label="Live demo">
            <h2 class="pane-title">{ "Live demo" }</h2>
            <CapabilityPanel caps={*caps} />
            <WorkerRoundTripView />
        </aside>
    }
}

#[derive(Properties, PartialEq)]
struct CapabilityProps {
    caps: Capabilities,
}

#[component]
fn CapabilityPanel(props: &CapabilityProps) -> Html {
    let caps = props.caps;
    let yes_no = |flag: bool| if flag { "yes" } else { "no" };
    let cores = caps
        .cores
        .map_or_else(|| "unknown".to_owned(), |n| n.to_string());
    html! {
        <section class="card capabilities" data-testid="capabilities">
            <h3>{ "This browser" }</h3>
            <dl>
                <dt>{ "Logical cores" }</dt>
                <dd data-testid="cores">{ cores }</dd>
                <dt>{ "Cross-origin isolated" }</dt>
                <dd data-testid="isolated">{ yes_no(caps.cross_origin_isolated) }</dd>
                <dt>{ "SharedArrayBuffer" }</dt>
                <dd data-testid="sab">{ if caps.shared_array_buffer { "available" } else { "not available" } }</dd>
                <dt>{ "The GIL here" }</dt>
                <dd data-testid="gil-impl">{ caps.gil_impl().label() }</dd>
            </dl>
            <p class="hint">
                { "Each Web Worker is a real thread of the browser: the demos run Python's threads and processes on them. " }
                if !caps.cross_origin_isolated {
                    { "This page is not cross-origin isolated (the server sent no COOP/COEP headers), so workers cannot share memory." }
                }
            </p>
        </section>
    }
}
