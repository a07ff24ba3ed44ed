"""Staff sign-in: throttling, session lifetime, password change and reset,
two-factor sign-in. Self-contained: its own views, forms, urls and templates
(templates/registration/, templates/account/)."""
