enum _PlaceholderRecorder {}
