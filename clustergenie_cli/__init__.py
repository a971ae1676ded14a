"""clustergenie-ctl: the command-line client over the same Qt-free client layer as the GUI."""
