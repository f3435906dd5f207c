enum _PlaceholderProxy {}
