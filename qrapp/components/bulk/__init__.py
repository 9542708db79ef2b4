"""The parts of the /bulk page: the file and options, the mapping, the dry run, the jobs."""
