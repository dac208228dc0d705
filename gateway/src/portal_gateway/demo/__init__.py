"""The demo story of `portal dev --demo`: tickets, files and shares made through the
public API as the demo users (see story.py for what happens, player.py for how)."""
