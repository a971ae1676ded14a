"""The verb groups of clustergenie-ctl, one module each (app.py registers them)."""
