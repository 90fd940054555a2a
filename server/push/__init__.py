"""Web Push: the center's VAPID keys, citizens' subscriptions, the outbox and its worker."""
