// Temporary until the report sources land; delete when any other .cpp exists here.
