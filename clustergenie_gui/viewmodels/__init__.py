"""QObjects that own the async work and expose state to the widgets through signals."""
