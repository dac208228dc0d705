"""E-mail channel: inbound mail becomes ticket messages or new tickets."""
