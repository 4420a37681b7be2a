"""Reports: findings.json (the contract), index.html and the other formats."""
