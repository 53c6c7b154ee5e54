//! A parsed JSON value as this crate's readers see it: `serde_json::Value`
//! natively (the command-line tool, tests) and the JavaScript value itself in
//! the page, so that host messages and JSON counts files are read by the same
//! code and the web build needs no JSON parser of its own (the browser's
//! `JSON.parse` reads the files).

/// A JSON value: JSON natively, the JavaScript value itself in the page.
pub trait JsonValue: Sized {
    /// The member `key` of an object; `None` when absent, null or undefined,
    /// or when this is not an object.
    fn member(&self, key: &str) -> Option<Self>;
    /// The number, if this is one.
    fn number(&self) -> Option<f64>;
    /// The text, if this is a string.
    fn text(&self) -> Option<String>;
    /// The flag, if this is a boolean.
    fn flag(&self) -> Option<bool>;
    /// The items, if this is an array.
    fn items(&self) -> Option<Vec<Self>>;
    /// The members of an object, in the parser's order (the file's order
    /// natively; in browsers, keys that are whole numbers first, ascending).
    fn entries(&self) -> Option<Vec<(String, Self)>>;
    /// The value as JSON text, for messages that show what was found.
    fn json_text(&self) -> String;
}

impl JsonValue for serde_json::Value {
    fn member(&self, key: &str) -> Option<Self> {
        self.as_object()?.get(key).filter(|v| !v.is_null()).cloned()
    }

    fn number(&self) -> Option<f64> {
        self.as_f64()
    }

    fn text(&self) -> Option<String> {
        self.as_str().map(str::to_string)
    }

    fn flag(&self) -> Option<bool> {
        self.as_bool()
    }

    fn items(&self) -> Option<Vec<Self>> {
        self.as_array().cloned()
    }

    fn entries(&self) -> Option<Vec<(String, Self)>> {
        self.as_object()
            .map(|object| object.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
    }

    fn json_text(&self) -> String {
        self.to_string()
    }
}
