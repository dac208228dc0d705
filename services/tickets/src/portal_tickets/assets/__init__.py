"""The customer's installed base: the machines and installations tickets are about."""
