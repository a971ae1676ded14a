"""What several feature packages use: edge validation, in-memory views, leadership, outages."""
