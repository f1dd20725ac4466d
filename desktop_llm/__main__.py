from desktop_llm.cli import main

raise SystemExit(main())
