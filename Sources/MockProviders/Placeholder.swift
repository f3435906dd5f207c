enum _PlaceholderMockProviders {}
