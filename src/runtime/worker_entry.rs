//! The code that runs inside a worker: it answers job requests from the page.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

use crate::model::protocol::{FromWorker, ToWorker};

/// Installs the message handler and tells the page the worker is ready.
pub fn start() {
    let Ok(scope) = js_sys::global().dyn_into::<DedicatedWorkerGlobalScope>() else {
        // Loaded outside a worker: there is nobody to answer.
        return;
    };
    let reply_scope = scope.clone();
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
        let reply = match event
            .data()
            .as_string()
            .ok_or_else(|| "the worker got a message that is not text".to_owned())
        {
            Ok(text) => answer(&text, &reply_scope),
            Err(message) => FromWorker::Failed { id: 0, message },
        };
        // Posting can only fail for values that cannot be cloned; a string can.
        let _ = reply_scope.post_message(&JsValue::from_str(&reply.encode()));
    });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    // The handler lives exactly as long as the worker does.
    on_message.forget();
    let ready = FromWorker::Ready {
        scope: constructor_name(&scope),
    };
    let _ = scope.post_message(&JsValue::from_str(&ready.encode()));
}

fn answer(text: &str, scope: &DedicatedWorkerGlobalScope) -> FromWorker {
    match ToWorker::decode(text) {
        Ok(ToWorker::Run { id, job }) => {
            let clock = scope.performance();
            let started = clock.as_ref().map_or(0.0, |p| p.now());
            let value = job.run();
            let elapsed_ms = clock.as_ref().map_or(0.0, |p| p.now()) - started;
            FromWorker::Done {
                id,
                value,
                elapsed_ms,
            }
        }
        Err(message) => FromWorker::Failed { id: 0, message },
    }
}

fn constructor_name(scope: &DedicatedWorkerGlobalScope) -> String {
    js_sys::Reflect::get(scope, &JsValue::from_str("constructor"))
        .ok()
        .and_then(|c| c.dyn_into::<js_sys::Function>().ok())
        .and_then(|f| f.name().as_string())
        .unwrap_or_else(|| "unknown scope".into())
}
