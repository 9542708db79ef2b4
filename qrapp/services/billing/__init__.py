"""Plans, subscriptions and the payment providers."""
