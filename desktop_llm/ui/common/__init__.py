"""What several features of the window share: the background idiom, the engine queue, styles."""
