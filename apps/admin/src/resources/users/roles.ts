export const roleChoices = [
  { id: 'customer', name: 'Customer' },
  { id: 'ops', name: 'Operations' },
  { id: 'finance', name: 'Finance' },
  { id: 'admin', name: 'Admin' },
];

/** The roles an invite may give: staff only. */
export const staffRoleChoices = roleChoices.filter((choice) => choice.id !== 'customer');
