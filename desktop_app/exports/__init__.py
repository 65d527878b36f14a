"""xlsx and PDF writers: plain objects in, file out. No Qt."""
