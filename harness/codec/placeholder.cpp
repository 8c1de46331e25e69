// Temporary until the codec sources land; delete when any other .cpp exists here.
