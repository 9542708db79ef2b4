from qrapp.cli import main

main()
