"""Plot-directive script: Hamming-distance histograms for BioHashing (see facelab.figures)."""
from facelab.figures import templates_hamming

templates_hamming()
