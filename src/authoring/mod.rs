//! Commands that edit an author's sources: `kijun new` (scaffold) and `kijun renumber`.
//!
//! They work on the files as text, not through the model: the model only exists when the
//! sources are valid, and an author's formatting and comments must survive an edit.

pub mod ids;
pub mod renumber;
pub mod scaffold;
