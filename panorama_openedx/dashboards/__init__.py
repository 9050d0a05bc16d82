"""Who sees which dashboard, and the embed URLs that show it (QuickSight or the provider's API)."""
