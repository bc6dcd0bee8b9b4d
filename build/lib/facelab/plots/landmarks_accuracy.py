"""Plot-directive script: identification accuracy against gallery size (see facelab.figures)."""
from facelab.figures import landmarks_accuracy

landmarks_accuracy()
