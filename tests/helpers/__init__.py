"""What several test modules share: model files, fake sysfs trees, a loopback Hub, the window."""
