"""Finding people under any spelling: name rules and score (`names`), the in-memory name
index (`index`), where the index is kept and how it catches up (`index_store`), searches and
duplicate finding (`selectors`), and their API, CLI and schemas."""
