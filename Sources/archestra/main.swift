print("archestra")
