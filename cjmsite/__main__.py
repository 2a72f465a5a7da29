from cjmsite.cli import main

main()
