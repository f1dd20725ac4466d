"""Tasks besides chat (translation, summaries, sentiment) and the text tools they stand on."""
