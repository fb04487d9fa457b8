export const roleChoices = [
  { id: 'customer', name: 'Customer' },
  { id: 'ops', name: 'Operations' },
  { id: 'finance', name: 'Finance' },
  { id: 'admin', name: 'Admin' },
];
