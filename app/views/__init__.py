"""Qt widgets and windows; everything they show comes from `app.logic`."""
