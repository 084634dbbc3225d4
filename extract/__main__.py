from xxgk.extract.cli import main

main()
