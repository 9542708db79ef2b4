"""Plans, limits and payments: where a workspace's subscription stands (subscriptions),
what it may have (entitlements), what pauses when a paid plan expires (suspension), and
one module per payment provider."""
