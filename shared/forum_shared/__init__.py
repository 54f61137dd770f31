"""Partnership Forum shared package: event contracts (`forum_shared.events`) and the service kit."""
