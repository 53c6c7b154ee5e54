//! JavaScript values (from `postMessage` or the browser's `JSON.parse`) read
//! through the state layer's [`JsonValue`], so that the page needs no JSON
//! parser of its own.

use wasm_bindgen::{JsCast, JsValue};

use crate::state::json::JsonValue;

impl JsonValue for JsValue {
    fn member(&self, key: &str) -> Option<Self> {
        if !self.is_object() || self.is_array() {
            return None;
        }
        js_sys::Reflect::get(self, &key.into())
            .ok()
            .filter(|v| !v.is_undefined() && !v.is_null())
    }

    fn number(&self) -> Option<f64> {
        self.as_f64()
    }

    fn text(&self) -> Option<String> {
        self.as_string()
    }

    fn flag(&self) -> Option<bool> {
        self.as_bool()
    }

    fn items(&self) -> Option<Vec<Self>> {
        self.dyn_ref::<js_sys::Array>().map(|a| a.iter().collect())
    }

    fn entries(&self) -> Option<Vec<(String, Self)>> {
        if !self.is_object() || self.is_array() {
            return None;
        }
        let pairs = js_sys::Object::entries(self.unchecked_ref());
        Some(
            pairs
                .iter()
                .filter_map(|pair| {
                    let pair = pair.dyn_into::<js_sys::Array>().ok()?;
                    Some((pair.get(0).as_string()?, pair.get(1)))
                })
                .collect(),
        )
    }

    fn json_text(&self) -> String {
        js_sys::JSON::stringify(self)
            .ok()
            .and_then(|text| text.as_string())
            .unwrap_or_else(|| "undefined".to_string())
    }
}
