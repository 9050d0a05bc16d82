"""tutor-contrib-panorama: deploys panorama-openedx into an Open edX platform run by Tutor."""
