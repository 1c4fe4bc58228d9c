"""Tables of Samsat OPOP arrive with its issue."""
