//! The browser's fullscreen for the whole page (F).

use js_sys::{Function, Promise, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use crate::runtime::js_error::describe;

/// Shows the whole page fullscreen, or leaves fullscreen when it is on. The
/// browser may refuse (no key press behind the request, a frame without the
/// permission, no fullscreen at all): then the error says why, for the viewer.
pub async fn toggle() -> Result<(), String> {
    let document = web_sys::window().and_then(|w| w.document()).ok_or("this page has no document")?;
    let on = Reflect::get(&document, &"fullscreenElement".into()).is_ok_and(|e| !e.is_null() && !e.is_undefined());
    let (target, method): (JsValue, &str) = if on {
        (document.into(), "exitFullscreen")
    } else {
        (document.document_element().ok_or("this page has no root element")?.into(), "requestFullscreen")
    };
    let function = Reflect::get(&target, &method.into())
        .ok()
        .and_then(|f| f.dyn_into::<Function>().ok())
        .ok_or("this browser offers no fullscreen")?;
    // Older browsers return nothing; newer ones a promise, which a refusal rejects.
    let returned = function.call0(&target).map_err(describe)?;
    if let Ok(promise) = returned.dyn_into::<Promise>() {
        JsFuture::from(promise).await.map_err(describe)?;
    }
    Ok(())
}
