"""The OpenID Connect provider: other tools sign in with the portal's accounts."""
