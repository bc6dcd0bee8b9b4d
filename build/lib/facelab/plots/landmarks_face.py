"""Plot-directive script: the synthetic face, all points and upper face (see facelab.figures)."""
from facelab.figures import landmarks_face

landmarks_face()
