from complaintdesk.cli import main

raise SystemExit(main())
