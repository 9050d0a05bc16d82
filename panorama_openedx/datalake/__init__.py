"""Writing the datalake: the key layout, the CSV contract and the storages (local folder, S3)."""
