"""One module per screen. Forms parse and normalise input and return the
changes (`changes()`); services write them."""
