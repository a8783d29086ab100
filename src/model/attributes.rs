//! Feature attributes kept as read, in their original column order, so that outputs can carry
//! the user's columns through unchanged.

use serde::Serialize;

/// One attribute value.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum AttrValue {
    /// Missing / empty.
    Null,
    /// Boolean.
    Bool(bool),
    /// Integer.
    Int(i64),
    /// Real number.
    Float(f64),
    /// Text.
    Text(String),
}

impl AttrValue {
    /// The value as text (empty for Null), the way a CSV cell would show it.
    pub fn to_text(&self) -> String {
        match self {
            AttrValue::Null => String::new(),
            AttrValue::Bool(b) => b.to_string(),
            AttrValue::Int(i) => i.to_string(),
            AttrValue::Float(f) => f.to_string(),
            AttrValue::Text(s) => s.clone(),
        }
    }

    /// The value as a number, when it is one (text is parsed, decimal comma accepted).
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            AttrValue::Int(i) => Some(*i as f64),
            AttrValue::Float(f) => Some(*f),
            AttrValue::Text(s) => s.trim().replace(',', ".").parse().ok(),
            _ => None,
        }
    }
}

/// Ordered attribute map (column order of the source is kept).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Attributes(pub Vec<(String, AttrValue)>);

impl Attributes {
    /// The value of `name`, if present (exact name).
    pub fn get(&self, name: &str) -> Option<&AttrValue> {
        self.0.iter().find(|(k, _)| k == name).map(|(_, v)| v)
    }

    /// The value of `name` as text, empty when missing.
    pub fn text(&self, name: &str) -> String {
        self.get(name).map(AttrValue::to_text).unwrap_or_default()
    }

    /// Appends or replaces a value.
    pub fn set(&mut self, name: impl Into<String>, value: AttrValue) {
        let name = name.into();
        match self.0.iter_mut().find(|(k, _)| *k == name) {
            Some(slot) => slot.1 = value,
            None => self.0.push((name, value)),
        }
    }

    /// Column names in order.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(|(k, _)| k.as_str())
    }
}
