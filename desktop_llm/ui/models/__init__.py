"""The model manager: installed models, the catalog and Hub search, downloads."""
