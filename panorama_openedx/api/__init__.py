"""The REST API used by the Panorama MFE."""
