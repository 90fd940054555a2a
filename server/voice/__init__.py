"""The announcement voice: what a call says, word by word, and the clips a TV plays (the
center's own recordings, or the espeak-ng stopgap)."""
